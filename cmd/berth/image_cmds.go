package main

// imageCommands returns the image subcommands.
func imageCommands() map[string]command {
	return map[string]command{}
}
