"""The one core every writer calls: the domain's rules (`rules`) and the operations in the
users' words (`operations`). Qt-free; the window, the command line, the demo and sync call it."""
