"""meetings — built in a later step (see README, "Roadmap")."""
