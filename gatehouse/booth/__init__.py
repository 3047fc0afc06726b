"""The running booth, without Qt: ``runtime`` wires it from the configuration, ``service``
reads, decides and logs one scan, the rest are its devices, clocks and workers. Where its
policy and trust come from is ``gatehouse.bundles``; its setup is ``gatehouse.setup``."""
