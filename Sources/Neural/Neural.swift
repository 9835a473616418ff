/// Namespace of the `Neural` module (see DESIGN.md's module table).
public enum NeuralModule {}
