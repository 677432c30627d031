"""A rule-based baseline annotator, so that a user sees how far simple rules get on the same
scorer as the human agreement figures, and a practitioner has something to beat.

It reads only the seeds and the entity registries (actors.yaml, places.yaml), never the article
annotations, events.yaml or data/, which are the gold it is scored against, and writes an
annotation folder the validator accepts. Every rule is deterministic:

- publication date (dates.py): "Published on", "Updated on" or "as of" followed by DD/MM/YY or
  DD/MM/YYYY (day first) in the first lines of the raw text; otherwise unknown.
- claims (attribution.py): each sentence of the clean text (coverage.sentences) holding a
  reporting cue ("said", "according to", "denied"...); the quote is the whole sentence, the cue
  its first cue, the claimant the actor named closest before the cue (else first after it); a
  sentence naming no actor gives no claim.
- values (dates.py, quantities.py, names.py): absolute dates by a small parser, dates without a
  year and relative days only against a stated publication date; numbers by the project's
  reading of figure words (text2num and digits); places as registry names.
- every number or date expression no claim normalizes is listed under skipped.
"""
