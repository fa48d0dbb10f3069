/** The repository the run belongs to (GITHUB_REPOSITORY). */
export interface Repo {
  owner: string;
  repo: string;
}
