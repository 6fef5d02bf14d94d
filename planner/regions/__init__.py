"""Reference data: Indian states and union territories, Japanese prefectures, the managed list of sectors."""
