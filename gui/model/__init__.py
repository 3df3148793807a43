"""The app's plain-Python models: script runner, graph model, layout, playback. Never imports Qt."""
