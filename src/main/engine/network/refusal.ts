/** Why a request is refused before any handler sees it: the status and the stable `{code, message}`. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}
