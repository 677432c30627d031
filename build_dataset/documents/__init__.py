"""The documents generated from a release: card, datasheet sections, citation, Croissant
metadata, licences and the measured annotation quality."""
