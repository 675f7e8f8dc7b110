"""Computations behind the topic notebooks (no widgets, no drawing).

* :mod:`runform.teaching.ankle` – the drawn ankle, the knee-to-wall test's geometry;
* :mod:`runform.teaching.squat` – a 2D squat: a dorsiflexion limit forces the trunk forward;
* :mod:`runform.teaching.crank` – thigh angle vs angular velocity, the hip as a crank;
* :mod:`runform.teaching.rbds` – a real runner's thigh angle from Fukuchi et al. 2017
  motion capture, when a local copy of the data exists.
"""
