from chipkg.loaders import csl as _csl  # noqa: F401  (registers --format csl)
from chipkg.loaders import eto as _eto  # noqa: F401  (registers --format eto)
from chipkg.loaders import ftm as _ftm  # noqa: F401  (registers --format ftm)
from chipkg.loaders.text import loader as _text  # noqa: F401  (registers --format text)
