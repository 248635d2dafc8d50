"""Batch work on a Dask cluster: a dataset's parts read and checked on the workers,
shuffled by household where a scheme needs it, classified by the same engine as in
memory, and figures added up exactly (docs/scale-out.md)."""
