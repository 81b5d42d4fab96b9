"""What many tests share: waiting for things to happen, a clock to move, recording notifiers."""
