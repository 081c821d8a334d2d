"""What a pull request changes, in words: the preview, its Markdown, and the notes it warns with."""
