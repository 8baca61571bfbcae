"""Reading LVS exports (Cito/Leerling in beeld, IEP, Boom, any table with a mapping file).

Public API
----------
read_scores(paths, *, key_file=None, secret=None, mapping=None, school=None) -> Dataset
load(paths, *, interventions=None, key_file=None, secret=None, mapping=None) -> Dataset
mapping_template(columns) -> str
ReadError

Modules: :mod:`.text` (encoding, delimiter, header row), :mod:`.excel` (workbooks),
:mod:`.layout` (which column is what, wide layout), :mod:`.cleaning` (value parsing),
:mod:`.vocabulary` (subjects and scales in text), :mod:`.cito`, :mod:`.iep`,
:mod:`.boom` (vendor specifics), :mod:`.mapping` (mapping files), :mod:`.identity`
(pseudonyms and background), :mod:`.tables` (one table -> canonical arrays),
:mod:`.core` (many files -> Dataset).
"""

from plgdata.io.scores.core import load, read_scores
from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.mapping import load_mapping, mapping_template

__all__ = ["ReadError", "load", "load_mapping", "mapping_template", "read_scores"]
