-- What the team sets for each cycle besides its dates: the funding cap per
-- project (whole euros), how many projects the cycle aims to fund, and how
-- many months a prototype runs.
ALTER TABLE cycles ADD COLUMN funding_cap_eur BIGINT NOT NULL DEFAULT 50000;
ALTER TABLE cycles ADD COLUMN target_projects INTEGER NOT NULL DEFAULT 15;
ALTER TABLE cycles ADD COLUMN prototype_months INTEGER NOT NULL DEFAULT 6;
ALTER TABLE cycles ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
