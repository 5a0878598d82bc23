#include <cstdio>
int main() { std::puts("duet-server " DUET_VERSION); }
