/// Namespace of the `Providers` module (see DESIGN.md's module table).
public enum ProvidersModule {}
