"""`protect:` on a delivery: the file encrypted to its recipients' keys (age, OpenPGP) or put in
an AES zip before the channel sees it (`target`: the model, `seal`: sealing, `keys`: the keys)."""
