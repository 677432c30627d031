"""Scoring an annotation against another (the official scorer), the second annotation's folder,
and the rule-based baseline."""
