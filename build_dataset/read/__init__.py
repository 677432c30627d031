"""Reading: seeds, annotation files (YAML, JSON Lines, annotation tools' exports), the
registries and the cleaning rules, into records with where each value was written."""
