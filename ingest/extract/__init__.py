"""Rule-based extraction of trials, arms, populations and results from Documents."""
