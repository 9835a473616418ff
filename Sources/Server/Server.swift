/// Namespace of the `Server` module (see DESIGN.md's module table).
public enum ServerModule {}
