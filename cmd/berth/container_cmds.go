package main

// containerCommands returns the container subcommands.
func containerCommands() map[string]command {
	return map[string]command{}
}
