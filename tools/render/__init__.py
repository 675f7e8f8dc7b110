"""Development tool: render the simulated runner to sample videos with exact truth.

Run ``python -m tools.render.make_samples`` from the repository root. Optional
dependencies are in ``tools/render/requirements.txt``; runform never imports this.
"""
