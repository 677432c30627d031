"""Checking: one article at a time (quotes to spans, values, claimants, coverage), then what
crosses articles (ids, relations, events and their figures)."""
