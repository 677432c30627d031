"""Importing span annotations made in Label Studio, doccano or brat into annotation files.

Reading an export is pure: it returns, per article id, the claims the spans make (convert), which
merge then puts into the article's annotation file, keeping every claim it holds and its id. It
invents nothing: fields an export cannot carry are left out, so that `build-dataset validate`
names what the contributor still has to add; what an export holds but the schema cannot (other
controls, events, attributes...) and what was skipped are named in notices. Each tool's module
(label_studio, doccano, brat) documents the export shapes it reads.

Conventions, the same for every tool:

Text
    The annotated text must be the article's clean text (`clean_article(raw, outlet).clean_text`,
    the `clean_text` column) or its raw seed text, unchanged. Offsets count Unicode code points.
    The article is found by an explicit id (the `article_id` argument, a task's or line's
    `article_id` field), else by an id that names a seed (Label Studio `data.id`, doccano `id`,
    the brat .ann file's stem), else by finding the seed whose raw or clean text equals the
    text. Either way the text must equal that seed's raw or clean text, or the import fails.
    The clean text is computed with the outlet of the article's existing annotation file, if
    any. Spans over raw text are moved to the clean text; a span that touches text cleaning
    removes (site chrome, doubled blank lines) is an error. A document without spans (an
    unannotated task) is skipped; an export without any is an error.

Span labels (case-insensitive)
    `CLAIM` or `CLAIM:<claim_type>` (a `karabakh_schema.vocabularies.ClaimType`) is a claim;
    its quote is the span's text, with `occurrence` when that text occurs more than once in the
    clean text.
    `CLAIMANT` and `CUE` become the claim's `claimant_text` and `cue`; `QUANTITY`, `DATE` and
    `PLACE` become `quantities`, `dates` and `places` entries holding only `text`.
    Any other label is an error. The same span with the same label twice is taken once.

Which claim a span belongs to
    A span linked to claims by relations belongs to those claims. A span without relations
    belongs to the innermost claim that contains it (a claim reported inside another is the
    inner one's), except that a claim with a linked claimant (cue) ignores unlinked ones; a
    claim with two candidate claimants (cues) is an error, and so is a span that belongs to no
    claim. The span must be the first occurrence of its text in the claim's quote, since that
    is how the builder locates it.

Relations (labels case-insensitive)
    Between two claims: one `karabakh_schema.vocabularies.RelationType` label (agrees, contradicts,
    refines, different_scope, supersedes, opposes), directed from the claim that carries it to
    the other.
    Between a claim and another span, in either direction: no label or the span's kind
    (`claimant`, `cue`, `quantity`, `date`, `place`). Anything else is an error.

Notes
    A note on a claim (brat AnnotatorNotes, a Label Studio region's meta text or per-region text
    area) is its `note`; on a relation between claims, the relation's `note`; on another span or
    relation, a line of the note of the claim it belongs to, naming the span.

Every problem raises ImportProblem, naming the file, the task, line or result, and what is wrong.
"""

from build_dataset.read.importers.common import Choice, ImportProblem
from build_dataset.read.importers.convert import (
    FORMATS,
    ArticleImport,
    Imported,
    import_annotations,
)
from build_dataset.read.importers.merge import Merged, Report, claim_references, merge
from build_dataset.read.importers.yaml_out import SCHEMA_COMMENT, dump_annotation

__all__ = [
    "FORMATS",
    "SCHEMA_COMMENT",
    "ArticleImport",
    "Choice",
    "ImportProblem",
    "Imported",
    "Merged",
    "Report",
    "claim_references",
    "dump_annotation",
    "import_annotations",
    "merge",
]
