# Models of this community model arrive with its issue; the core lives in communities/.
