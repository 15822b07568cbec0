"""One module per step kind: how the step starts, what each partner may do in it, and how
its clock behaves across a pause. ``flow`` ties them together."""
