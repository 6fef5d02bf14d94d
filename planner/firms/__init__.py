"""The firm registry: profiles of Indian and Japanese firms, their size class, bulk import and the directory."""
