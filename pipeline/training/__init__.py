"""Training and evaluation, apart from inference: each module fits one stage and measures it."""
