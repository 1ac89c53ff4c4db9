"""Movie Magic services: the domain and AWS. Plain Python; never imports NiceGUI."""
