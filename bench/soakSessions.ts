export async function sessions(): Promise<void> {}
