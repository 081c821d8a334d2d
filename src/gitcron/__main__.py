from gitcron.cli import main

main()
