/// Namespace of the `Tokenizers` module (see DESIGN.md's module table).
public enum TokenizersModule {}
