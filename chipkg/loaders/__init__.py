from chipkg.loaders import csl as _csl  # noqa: F401  (registers --format csl)
