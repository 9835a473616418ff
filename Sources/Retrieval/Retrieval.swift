/// Namespace of the `Retrieval` module (see DESIGN.md's module table).
public enum RetrievalModule {}
