// breathe
