"""Generated stack files: valid specs and near-misses, thrown at the spec layer and at full plans."""
