// The "your session is ready" page: only the copy button needs script.
import { wireCopyButtons } from "./copy.js";

wireCopyButtons(document);
