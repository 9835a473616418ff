/// Namespace of the `Settings` module (see DESIGN.md's module table).
public enum SettingsModule {}
