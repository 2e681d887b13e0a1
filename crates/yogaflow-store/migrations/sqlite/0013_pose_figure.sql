-- A pose's figure description (the figure file format without its slug line);
-- NULL draws no figure. Kept with the pose so admin edits reach every instance
-- and are versioned with the rest of the record.
ALTER TABLE poses ADD COLUMN figure TEXT;
