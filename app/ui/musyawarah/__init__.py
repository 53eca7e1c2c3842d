"""The musyawarah kelurahan in the window (issue 17): plan a meeting, decide its agenda by
keyboard, print its papers and lock it. Every rule and role is in app/services/musyawarah*.py."""
