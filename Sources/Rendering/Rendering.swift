/// Namespace of the `Rendering` module (see DESIGN.md's module table).
public enum RenderingModule {}
