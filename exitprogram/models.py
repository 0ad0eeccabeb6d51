"""exitprogram — built in a later step (see README, "Roadmap")."""
