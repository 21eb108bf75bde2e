"""Pages of care, in rooms named by noun: `visits` (the visitor's day, care plans, mediation cases), `provision`
(services for a person and one-tap alerts), `children` (children's places), `legal` (legal aid, talks, the rota),
`exports` (masked CSV files)."""
