-- The pose and sequence catalog. Timestamps are unix microseconds (INTEGER) on
-- both databases so that one SQL text sorts and compares them the same way.

CREATE TABLE poses (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    v1_id INTEGER UNIQUE,
    english_name TEXT NOT NULL,
    sanskrit_iast TEXT NOT NULL,
    sanskrit_ascii TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('standing','seated','balancing','backbends','forward_bends','twists','inversions','arm_balances','restorative')),
    difficulty TEXT NOT NULL CHECK (difficulty IN ('beginner','intermediate','advanced')),
    sided BOOLEAN NOT NULL,
    hold_value INTEGER NOT NULL CHECK (hold_value > 0),
    hold_unit TEXT NOT NULL CHECK (hold_unit IN ('seconds','breaths')),
    breath_cue TEXT NOT NULL,
    description TEXT NOT NULL,
    safety_note TEXT NOT NULL,
    target_areas TEXT NOT NULL,
    props TEXT NOT NULL,
    instructions TEXT NOT NULL,
    benefits TEXT NOT NULL,
    contraindications TEXT NOT NULL,
    modifications TEXT NOT NULL,
    common_mistakes TEXT NOT NULL,
    image_urls TEXT NOT NULL,
    search_names TEXT NOT NULL,
    search_body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ix_poses_english_name ON poses (english_name, id);
CREATE INDEX ix_poses_category_name ON poses (category, english_name);
CREATE INDEX ix_poses_difficulty_name ON poses (difficulty, english_name);

-- One row per (pose, area) so `target_area` filters by any element, with an index.
CREATE TABLE pose_target_areas (
    pose_id INTEGER NOT NULL REFERENCES poses (id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    PRIMARY KEY (pose_id, area)
);
CREATE INDEX ix_pose_target_areas_area ON pose_target_areas (area, pose_id);

CREATE TABLE sequences (
    id INTEGER PRIMARY KEY,
    slug TEXT UNIQUE,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    description TEXT NOT NULL,
    difficulty TEXT NOT NULL CHECK (difficulty IN ('beginner','intermediate','advanced')),
    focus_area TEXT NOT NULL CHECK (focus_area IN ('flexibility','strength','relaxation','balance','core','energy')),
    style TEXT NOT NULL CHECK (style IN ('vinyasa','yin','restorative','hatha','power','gentle')),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 120),
    transition_seconds INTEGER NOT NULL CHECK (transition_seconds BETWEEN 0 AND 60),
    is_preset BOOLEAN NOT NULL,
    owner_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ix_sequences_preset_name ON sequences (is_preset, name, id);
CREATE INDEX ix_sequences_owner_name ON sequences (owner_id, name, id);
CREATE INDEX ix_sequences_difficulty ON sequences (difficulty, name);
CREATE INDEX ix_sequences_focus_area ON sequences (focus_area, name);
CREATE INDEX ix_sequences_style ON sequences (style, name);
CREATE INDEX ix_sequences_duration ON sequences (duration_minutes);

CREATE TABLE sequence_slots (
    id INTEGER PRIMARY KEY,
    sequence_id INTEGER NOT NULL REFERENCES sequences (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    -- RESTRICT: a pose in use cannot vanish and leave a sequence broken (1.0 defect D15).
    pose_id INTEGER NOT NULL REFERENCES poses (id) ON DELETE RESTRICT,
    seconds INTEGER NOT NULL CHECK (seconds BETWEEN 10 AND 600),
    side TEXT CHECK (side IN ('right','left')),
    note TEXT NOT NULL,
    UNIQUE (sequence_id, position)
);
CREATE INDEX ix_sequence_slots_pose ON sequence_slots (pose_id);

-- Bumped by every catalog write, so each instance knows when its cached answers are stale.
CREATE TABLE catalog_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalog_state (id, version) VALUES (1, 0);
