"""RomM accounts for chat members: invites, linking with proof, role-driven lifecycle."""
