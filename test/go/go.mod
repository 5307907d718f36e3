module gotracelens.test/programs

go 1.23
