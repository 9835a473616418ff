/// Namespace of the `Encoders` module (see DESIGN.md's module table).
public enum EncodersModule {}
