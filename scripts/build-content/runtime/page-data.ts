// The JSON contract between the build (which writes it into each page as
// <script type="application/json" id="page-data">) and the browser runtime.
// Kept in one file so both sides type-check against the same shape.

export interface RuntimeOption {
  text: string;
  correct: boolean;
  feedback: string;
}

export interface RuntimeQuestion {
  id: string;
  question: string;
  type: 'single' | 'multiple';
  options: RuntimeOption[];
}

export interface LessonPageData {
  kind: 'lesson';
  moduleId: string;
  lessonId: string;
  /** Knowledge checks keyed by the id of their <form>. */
  checks: Record<string, RuntimeQuestion>;
}

export interface QuizPageData {
  kind: 'quiz';
  moduleId: string;
  masteryScore: number;
  draw: number;
  pool: RuntimeQuestion[];
}

export type PageData = LessonPageData | QuizPageData;

export const PAGE_DATA_ELEMENT_ID = 'page-data';
