"""State–prefecture partnerships: the pair, its status and the agreement it rests on."""
