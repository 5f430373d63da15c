package main

// networkCommands returns the network subcommands.
func networkCommands() map[string]command {
	return map[string]command{}
}
