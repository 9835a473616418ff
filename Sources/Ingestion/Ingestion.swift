/// Namespace of the `Ingestion` module (see DESIGN.md's module table).
public enum IngestionModule {}
