// speech
